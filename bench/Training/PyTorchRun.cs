using System;
using System.Globalization;
using System.Linq;

namespace Composer.Bench.Training;

/// <summary>
/// The PyTorch eager side of one subject in one Python worker (training.py): the reference models of
/// tests/reference/composer_reference, set up from the shared weights file.
/// </summary>
internal sealed class PyTorchRun : ISide
{
    private readonly PythonWorker _worker;
    private readonly string _id;

    /// <summary>Builds the subject in <paramref name="worker"/> from <paramref name="spec"/> (training.py's setup JSON).</summary>
    public PyTorchRun(PythonWorker worker, string id, string spec)
    {
        _worker = worker;
        _id = id;
        Ask($"setup {id} {spec}");
    }

    public double EvaluationLoss() => Number(Ask($"loss {_id}"));

    public double Train(int updates) => Number(Ask($"train {_id} {updates}"));

    public double Decode(int tokens) => Number(Ask($"decode {_id} {tokens}"));

    public long[] Generate(int tokens) =>
        Ask($"tokens {_id} {tokens}").Split(',').Select(t => long.Parse(t, CultureInfo.InvariantCulture)).ToArray();

    public void Dispose() => Ask($"drop {_id}");

    private string Ask(string command)
    {
        string answer = _worker.Request(command);
        return answer.StartsWith("error", StringComparison.Ordinal)
            ? throw new InvalidOperationException($"the PyTorch side failed on '{command.Split(' ')[0]}': {answer}")
            : answer;
    }

    private static double Number(string answer) => double.Parse(answer, CultureInfo.InvariantCulture);
}
