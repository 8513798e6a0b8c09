"""Building the student release from the reference solutions."""
