"""Looking inside a network in the app: the neuron card and the embedding map (issue 12)."""
