"""Getting more from few labels: active learning (suggest the next items to label) and its simulation."""
