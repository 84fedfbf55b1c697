using System;
using System.IO;
using Composer.Checkpoints;

namespace Composer.Tests.Training;

/// <summary>Opens tests/reference/data/training.safetensors (written by tests/reference/training_reference.py).</summary>
internal static class TrainingReference
{
    public static SafetensorsFile Open()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "reference", "training.safetensors");
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path} is missing; run tests/reference/generate.sh and commit tests/reference/data/training.safetensors");
        return Safetensors.Load(path);
    }
}
