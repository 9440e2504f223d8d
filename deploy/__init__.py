"""Tools that build what goes to AWS Lambda; none of this ships in the functions."""
