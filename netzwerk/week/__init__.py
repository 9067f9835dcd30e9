"""A week a person can actually do: the sections of the digest beyond who is due, each a pure
function of everyone's Facts (or small results kept with them), the week and the settings.

- `followups`: after a first meeting, a thank-you and a second touch; open tasks with a date
- `greetings`: the season's greetings, with the channel we know and a line to make it personal
- `reconnect`: one or two dormant ties worth waking, never the same two weeks running
- `warmup`: the people you want to meet, the warmest path to each and the last step taken
- `trips`: whom you know where you are going, who lives there two hops away, introductions
"""
