"""Stand-in for core/models/allocation_strategy.py (removed 2018-08-31, 4260b44d): the behaviours and the strategy."""
from django.db.models import ForeignKey, ManyToMany, Model


class CountingBehavior(Model):
    fields = {"name": ""}

    def __str__(self):
        return self.name


class RefreshBehavior(Model):
    fields = {"name": ""}

    def __str__(self):
        return self.name


class RulesBehavior(Model):
    fields = {"name": ""}

    def __str__(self):
        return self.name


class AllocationStrategy(Model):
    provider = ForeignKey("Provider")
    counting_behavior = ForeignKey("CountingBehavior")
    refresh_behaviors = ManyToMany("RefreshBehavior")
    rules_behaviors = ManyToMany("RulesBehavior")
