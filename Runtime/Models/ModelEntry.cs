using System;
using Composer.Layers;
using TorchSharp;

namespace Composer.Models;

/// <summary>
/// A model a training executable offers: its description and a factory building it on a device.
/// Generated <c>Main</c> methods pass one per model listed in <c>[assembly: TrainingExecutable(...)]</c>.
/// </summary>
/// <param name="Description">The model's compile-time facts.</param>
/// <param name="Create">Builds a fresh, randomly initialised model (a <c>torch.nn.Module</c> implementing one of the model interfaces).</param>
public sealed record ModelEntry(ModelDescription Description, Func<ModuleContext, torch.nn.Module> Create);
