"""Independent PyTorch references of Composer's mixers and layers, written from MIXERS.md."""
