"""The fixed list of species a pet (and a video's pet category) can be."""

SPECIES = ["dog", "cat", "bird", "rabbit", "rodent", "fish", "reptile", "horse", "other"]
