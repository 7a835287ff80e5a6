"""Nothing of coaching is in the Django admin: spaces, threads, posts and attachments are the
teams' own conversations, read only by their members through `coaching.selectors`. A team's
space is made by `coaching.services.space_for_team` when the team is created."""
