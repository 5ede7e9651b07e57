SECRET_KEY = "stand-in"
