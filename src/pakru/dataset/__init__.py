"""Reading and validating a dataset: hardened YAML (yamlnodes), records, the loader, `pakru check`."""
