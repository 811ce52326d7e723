"""The headline numbers of results/numbers/, each a ``reelscale bench numbers`` command."""
