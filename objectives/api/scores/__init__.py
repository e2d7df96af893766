"""The score endpoints: `views` (thin, reading snapshots) and `serializers` (the answers' shapes)."""
