"""A training run in its own process (the app's runs): job.py says what to train, shared_data.py
puts the data in shared memory, child.py is the process, parent.py starts and commands it."""
