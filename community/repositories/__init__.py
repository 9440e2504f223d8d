"""The doors to the community's items in the shared table (pettube/dynamo.py), one module per
kind: likes and views (`likes`), comments and their rate counters (`comments`), reports and
review cases (`reports`), the Popular ranking (`ranking`). Only these touch those items."""
