"""Layer 2, rules: the raw tables' schemas and reading (rawdata, package), reference codes, the date rule
(evidence), spells and the event state machine (relations), missions on a day (missions)."""
