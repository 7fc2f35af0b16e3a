"""The benchmarking pack: a council's position among all councils on a national publication's
measures (`views`, `charts`, `site`), and the national line beside a council's own indicators
(`linked`)."""
