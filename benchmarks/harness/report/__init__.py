"""``reelscale bench report``: the asv dashboard, memray flamegraphs and an index page."""
