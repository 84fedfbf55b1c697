using System;

namespace Composer.Distributed;

/// <summary>
/// A data-parallel job that cannot start (or go on), raised by every rank together with the same
/// message: the ranks disagree about what they run, one of them failed to prepare, or the job's shape
/// does not fit the data. Rank 0 reports it; every rank ends normally.
/// </summary>
public sealed class JobRefusedException(string message) : Exception(message);
