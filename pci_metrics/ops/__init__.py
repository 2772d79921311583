"""Running the product: signed backups and checked restores of the whole database."""
