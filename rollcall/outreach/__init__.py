"""Family outreach (docs/outreach.md): kind, personal letters and messages about a child's
absences, in the family's language, with a random holdout that shows whether they work.

``rules`` says who is eligible; ``roster`` runs the engine as of a date; ``contacts`` reads the
families' contact columns and forms households; ``holdout`` draws the stratified household-level
holdout and the minimum detectable effect; ``plan`` puts them together (``assignments.csv``);
``content`` and ``letters`` build and render the letters and messages (``pdf`` prints them);
``send`` sends a round; ``estimate`` and ``evaluate`` measure the effect.
"""
