"""People in and out: contacts exports read into records (`csvfile`, `vcard`, `source`),
records matched to contacts and planned as note edits (`matching`, `planning`), and the vault
written out as vCard (`vcard`) and iCalendar (`ics`). `netzwerk.app` composes them."""
