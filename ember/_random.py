"""Random numbers: manual_seed, Generator, rand/randn/randint/randperm/normal (being written)."""
