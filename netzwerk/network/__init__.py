"""Who knows whom, and what follows from it, by topic: `graph` (the graph and warm-introduction
chains), `hubs`, `intros` (needs matched with offers), `review` (balance and tier review),
`search` (find and the contact card); `match` is the text matching they share."""
