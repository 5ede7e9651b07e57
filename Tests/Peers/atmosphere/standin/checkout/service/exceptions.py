class AccountCreationConflict(Exception):
    def __init__(self, message):
        super(AccountCreationConflict, self).__init__(message)
        self.message = message
