"""Small news texts written for the suggestion tests (never the evaluation corpora)."""

STORY = (
    "Mexico City — President Claudia Sheinbaum said on Tuesday that the government had "
    "extradited 26 cartel members to the United States in August.\n\n"
    "“We will not subordinate ourselves to anyone,” Sheinbaum told reporters at the National "
    "Palace. “Mexico is a sovereign nation and it will stay one.”\n\n"
    "The spokesman, Arturo Reyes, said the transfers were legal. “Every one of them had a court "
    "order,” he said.\n\n"
    "“This is a turning point for both countries,” said Maria Lopez, a security analyst at the "
    "Center for Public Policy.\n\n"
    "Reyes added:\n\n"
    "“The cooperation continues, and it will grow.”\n\n"
    "Officials said 40 percent more fentanyl was seized in 2025 than in 2024.\n\n"
    "I think this is a nice day for everyone in the city."
)

MULTI_PARAGRAPH = (
    "Senator John Carter spoke for an hour on the floor of the chamber.\n\n"
    "“The first thing we owe the voters is the truth about the budget.\n\n"
    "“The second thing we owe them is a plan that adds up, line by line.”\n\n"
    "The vote is expected next week."
)

MARKS = (
    "Governor Ana Torres said: «We have the money for the new bridge and we will build it».\n\n"
    '"The bridge opens next spring, on schedule," said Paul Meyer, the city engineer.\n\n'
    "In Berlin, Mayor Klaus Weber said „Wir bauen die Brücke bis zum Sommer“ to reporters."
)

SPANISH = (
    "La presidenta Claudia Sheinbaum habló en la Ciudad de México.\n\n"
    "“No vamos a subordinarnos a nadie”, dijo Sheinbaum ante la prensa."
)

NOT_SPEECH = (
    "The senator appeared on “Face the Nation” on Sunday and called the plan “fake” twice.\n\n"
    "She described the new rules as “a very bad deal” for the farmers of the valley."
)
