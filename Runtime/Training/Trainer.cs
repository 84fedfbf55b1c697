using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using Composer.Checkpoints;
using Composer.Data;
using Composer.Distributed;
using Composer.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Composer.Training;

/// <summary>
/// The shared training loop of every Composer model: AdamW on a learning-rate schedule, gradient
/// accumulation and clipping, evaluation and a checkpoint every <see cref="TrainerOptions.EvalInterval"/>
/// updates, early stopping, exact resumption. <see cref="Run"/> reads top to bottom.
/// </summary>
/// <remarks>
/// Seed the generators (<c>torch.manual_seed</c>) before building the model and the data, and the whole
/// run is reproducible; resumed from a checkpoint, it continues with the same losses as if it had never
/// stopped (bit for bit on the CPU). Each update runs in its own dispose scope, so no tensor outlives
/// the update that made it; the parameters, the optimizer's moments and the batches live outside scopes.
/// Given <see cref="ICollectives"/> of more than one rank, the run is one of several processes training
/// the model data-parallel (<see cref="DataParallel"/>): rank 0 reads and writes the run folder and
/// reports progress, every rank trains on its rows of each batch.
/// </remarks>
public sealed class Trainer : IDisposable
{
    private readonly nn.Module _model;
    private readonly ModelDescription _description;
    private readonly Objective _objective;
    private readonly IBatchSource _data;
    private readonly IEvaluationSet? _validation;
    private readonly TrainerOptions _options;
    private readonly ITrainingObserver? _observer;
    private readonly Parameter[] _parameters;
    private readonly AdamW _optimizer;
    private readonly Device _device;
    private readonly RunFolder _run;
    private readonly DataParallel? _parallel;
    private MetricsLog? _metrics;
    private TensorBoardLog? _board;

    // Where the run is; all of it goes into each checkpoint.
    private long _step;
    private long _tokens;
    private long _targets;
    private double? _bestLoss;
    private long? _bestStep;
    private int _evaluationsWithoutImprovement;
    private string? _lastCheckpoint;

    /// <summary>Prepares a run: the optimizer over the model's parameters and the run folder.</summary>
    /// <param name="model">A module implementing <see cref="ILanguageModel"/>, <see cref="ISeq2SeqModel"/> or <see cref="IClassifier"/>, built on the device to train on.</param>
    /// <param name="data">The training batches.</param>
    /// <param name="validation">The validation set scored at every evaluation, or null (checkpoints are still written; early stopping needs it).</param>
    /// <param name="options">How to train.</param>
    /// <param name="observer">Receives progress (a progress bar, log lines); <c>metrics.jsonl</c> is written regardless. In data-parallel training only rank 0 reports.</param>
    /// <param name="collectives">
    /// The job this process is a rank of, for data-parallel training (every rank builds the same model
    /// and data with the same options and seed); null, or a job of one, trains alone.
    /// </param>
    /// <exception cref="ArgumentException">The model is of no known kind, or an option is out of range.</exception>
    public Trainer(nn.Module model, IBatchSource data, IEvaluationSet? validation, TrainerOptions options, ITrainingObserver? observer = null, ICollectives? collectives = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.Patience > 0 && validation is null)
            throw new ArgumentException("early stopping (Patience) compares validation losses, so it needs a validation set", nameof(options));
        _objective = Objective.For(model);
        _description = ((ISequenceModel)model).Description;
        _model = model;
        _data = data;
        _validation = validation;
        _options = options;
        _observer = observer;
        var named = model.named_parameters().ToList();
        _parameters = named.Select(p => p.parameter).ToArray();
        _device = _parameters.Length > 0 ? _parameters[0].device : CPU;
        _optimizer = new AdamW(named.Select(p => (p.name, (Tensor)p.parameter)), options.Beta1, options.Beta2, options.Eps, options.WeightDecay);
        _run = new RunFolder(options.RunFolder);
        if (collectives is { Size: > 1 }) _parallel = new DataParallel(collectives, _parameters);
    }

    // Rank 0, or a process training alone: the one that reads and writes the run folder and reports.
    private bool IsRoot => _parallel?.IsRoot ?? true;

    /// <summary>
    /// Trains until <see cref="TrainerOptions.MaxSteps"/> or early stopping, resuming first when
    /// <see cref="TrainerOptions.Resume"/> is set and the run folder has a checkpoint.
    /// </summary>
    /// <exception cref="TrainingDivergedException">The loss or gradient norm became NaN or infinite; the message says where and what to do.</exception>
    /// <exception cref="CheckpointMismatchException">The checkpoint to resume from belongs to another architecture.</exception>
    /// <exception cref="InvalidOperationException">The run folder holds an earlier run and <see cref="TrainerOptions.Resume"/> is off.</exception>
    /// <exception cref="System.IO.IOException">Another process is training in the run folder.</exception>
    /// <exception cref="CollectiveException">Data-parallel training: another rank died or stopped responding; the message names the checkpoint to resume from.</exception>
    public TrainingResult Run()
    {
        try
        {
            return Train();
        }
        catch (CollectiveException e)
        {
            string checkpoint = _lastCheckpoint is null
                ? "No checkpoint had been written yet: start the run again."
                : $"The last complete checkpoint is '{_lastCheckpoint}'{(IsRoot ? "" : " (on rank 0's machine)")}: run the same command with --resume to continue from it.";
            throw new CollectiveException($"{e.Message} (at update {_step + 1}). {checkpoint}", e);
        }
    }

    private TrainingResult Train()
    {
        using var writer = IsRoot ? _run.Lock() : null;
        var resumedFrom = IsRoot && _options.Resume ? _run.Last() : null;
        if (resumedFrom is not null) Restore(resumedFrom);
        else if (IsRoot && _run.HasCheckpoints)
            throw new InvalidOperationException($"the run folder '{_run.Path}' already holds checkpoints of an earlier run; resume it (--resume) or choose another folder");
        if (_parallel is not null) SynchronizeRanks(resumedFrom);
        using var metrics = _metrics = IsRoot ? new MetricsLog(_run.MetricsPath, _step) : null;
        using var board = _board = IsRoot && _options.TensorBoard ? new TensorBoardLog(_options.TensorBoardFolder ?? _run.Path, _step) : null;
        Notify(o => o.OnStart(new TrainingStart(_description.Name, _parameters.Sum(p => p.numel()), _device.ToString(), _run.Path, _step, _options.MaxSteps, resumedFrom?.Path)));

        _model.train();
        var clock = Stopwatch.StartNew();
        var trainingTime = TimeSpan.Zero;
        long tokensThisProcess = 0, targetsThisProcess = 0;
        double PerSecond(long count) => count / Math.Max(trainingTime.TotalSeconds, 1e-9);
        EvaluationResult? lastEvaluation = null;
        while (_step < _options.MaxSteps && !OutOfPatience)
        {
            double lr = _options.Schedule.At(_step + 1);
            long started = Stopwatch.GetTimestamp();
            var (loss, tokens, targets, gradientNorm) = Update(lr);
            trainingTime += Stopwatch.GetElapsedTime(started);
            _step++;
            _tokens += tokens;
            _targets += targets;
            tokensThisProcess += tokens;
            targetsThisProcess += targets;
            Notify(o => o.OnStep(new StepReport(_step, _options.MaxSteps, loss, lr, gradientNorm,
                tokens, _tokens, PerSecond(tokensThisProcess), targets, _targets, PerSecond(targetsThisProcess), clock.Elapsed)
            {
                AllReduceTime = _parallel?.LastReduceTime,
            }));

            if (_step % _options.EvalInterval == 0 || _step == _options.MaxSteps)
            {
                lastEvaluation = Evaluate() ?? lastEvaluation;
                SaveCheckpoint(lr, isBest: _bestStep == _step);
            }
        }

        var reason = _step < _options.MaxSteps ? StopReason.EarlyStopped : StopReason.Completed;
        var result = new TrainingResult(reason, _step, _tokens, _targets, lastEvaluation, _bestLoss, _bestStep,
            PerSecond(tokensThisProcess), PerSecond(targetsThisProcess), clock.Elapsed, _lastCheckpoint);
        Notify(o => o.OnEnd(result));
        return result;
    }

    /// <summary>
    /// One update: forward and backward over <see cref="TrainerOptions.AccumulationSteps"/> micro-batches,
    /// clip, check, step, all in one dispose scope. Returns the update's loss per target, its token and
    /// target counts and its gradient norm. Around the model it adds one division and one read-back per
    /// micro-batch, the gradient norm (a single norm for a small model) with its read-back, scaling only
    /// when clipping applies, and the optimizer's in-place updates.
    /// </summary>
    private (double Loss, long Tokens, long Targets, double GradientNorm) Update(double lr)
    {
        var batches = NextBatches();
        try
        {
            using var scope = NewDisposeScope();
            long tokens = 0, targets = 0;
            foreach (var batch in batches)
            {
                tokens += batch.Tokens;
                targets += batch.Targets;
            }
            if (_device.type == DeviceType.CUDA) ReseedCuda();
            // Dividing each micro-batch's summed loss by the update's target count makes the
            // accumulated gradients those of the per-target mean over all micro-batches together
            // (and, data-parallel, the ranks' gradients sum to it).
            using Scalar count = Math.Max(targets, 1);
            double lossSum = 0;
            foreach (var batch in batches)
            {
                if (batch.Local is null) continue;   // data-parallel: no rows of this batch fell to this rank
                using var rows = batch.DropoutRows();
                var terms = _objective.Compute(batch.Local, _options.LabelSmoothing);
                terms.Loss.div(count).backward();
                lossSum += Readback.Double(terms.Loss);
            }
            if (_parallel is not null) lossSum = _parallel.Reduce(lossSum, batches);
            double loss = lossSum / Math.Max(targets, 1);
            double gradientNorm = GradientClipping.ClipGradNorm(_parameters, _options.ClipNorm);
            if (!double.IsFinite(loss) || !double.IsFinite(gradientNorm)) throw Diverged(loss, gradientNorm, lr);
            _optimizer.Step(lr);
            return (loss, tokens, targets, gradientNorm);
        }
        finally
        {
            _optimizer.ZeroGrad();
            foreach (var batch in batches) batch.Dispose();
        }
    }

    /// <summary>
    /// Seeds every CUDA generator from a number drawn from the CPU generator. TorchSharp cannot save or
    /// restore a CUDA generator's state, but a checkpoint holds the CPU one: reseeded this way, the CUDA
    /// draws (dropout) of an update depend only on checkpointed state, so a resumed run repeats them.
    /// </summary>
    private static void ReseedCuda()
    {
        using var draw = randint(0, long.MaxValue, [1], ScalarType.Int64);
        cuda.manual_seed_all(draw.item<long>());
    }

    private MicroBatch[] NextBatches()
    {
        var batches = new MicroBatch[_options.AccumulationSteps];
        for (int i = 0; i < batches.Length; i++)
        {
            var batch = _data.Next();
            batches[i] = _parallel is null ? MicroBatch.Whole(OnDevice(batch)) : _parallel.Shard(batch, OnDevice);
        }
        return batches;
    }

    private Batch OnDevice(Batch batch) => Devices.Same(batch.Input.device, _device) ? batch : Objective.MoveAndRelease(batch, _device);

    // Early stopping: too many evaluations in a row without a new best validation loss.
    private bool OutOfPatience => _options.Patience > 0 && _evaluationsWithoutImprovement >= _options.Patience;

    /// <summary>Scores the validation set and updates the best loss and the patience counter; null without a validation set.</summary>
    private EvaluationResult? Evaluate()
    {
        if (_validation is null) return null;
        var result = _parallel is null ? _objective.Evaluate(_model, _validation, _device) : _parallel.Evaluate(_objective, _model, _validation, _device);
        if (_bestLoss is null || result.Loss < _bestLoss)
        {
            _bestLoss = result.Loss;
            _bestStep = _step;
            _evaluationsWithoutImprovement = 0;
        }
        else
        {
            _evaluationsWithoutImprovement++;
        }
        Notify(o => o.OnEvaluation(new EvaluationReport(_step, result, _bestStep == _step, _bestLoss.Value, _bestStep!.Value, _evaluationsWithoutImprovement)));
        return result;
    }

    private void SaveCheckpoint(double lr, bool isBest)
    {
        if (!IsRoot)
        {
            // Rank 0 writes it; were it to fail, rank 0 would end the job.
            _lastCheckpoint = _run.CheckpointPath(_step);
            return;
        }
        _lastCheckpoint = _run.Save(_step, folder => Checkpoint.Write(folder, _model, _optimizer, State(lr)), isBest, _options.KeepLast);
        Notify(o => o.OnCheckpoint(new CheckpointReport(_step, _lastCheckpoint, isBest)));
    }

    /// <summary>Everything besides weights and moments that continues the run: what a checkpoint's state.json holds.</summary>
    private TrainingState State(double lr) => new()
        {
            ComposerVersion = Checkpoint.ComposerVersion,
            Step = _step,
            Tokens = _tokens,
            Targets = _targets,
            LearningRate = lr,
            Schedule = _options.Schedule.Describe().ToDictionary(kv => kv.Key, kv => kv.Value),
            Data = _data.Position,
            Rng = RngStates.Capture(),
            BestLoss = _bestLoss,
            BestStep = _bestStep,
            EvaluationsWithoutImprovement = _evaluationsWithoutImprovement,
            Model = new ModelIdentity(_description.Name, _description.Kind.ToString(), _description.Fingerprint,
                _description.Settings.ToDictionary(kv => kv.Key, kv => kv.Value)),
            Optimizer = new OptimizerSettings("AdamW", _optimizer.StepCount, _optimizer.Beta1, _optimizer.Beta2, _optimizer.Eps, _optimizer.WeightDecay),
        };

    /// <summary>Puts weights, moments, counters, data position and random generators back as the checkpoint saved them.</summary>
    private void Restore(Checkpoint checkpoint)
    {
        checkpoint.LoadModel(_model);
        checkpoint.LoadOptimizer(_optimizer);
        Continue(checkpoint.State);
        _lastCheckpoint = checkpoint.Path;
        _run.PointBestAt(checkpoint.State.BestStep);
    }

    private void Continue(TrainingState state)
    {
        _step = state.Step;
        _tokens = state.Tokens;
        _targets = state.Targets;
        _bestLoss = state.BestLoss;
        _bestStep = state.BestStep;
        _evaluationsWithoutImprovement = state.EvaluationsWithoutImprovement;
        _data.Seek(state.Data);
        state.Rng.Restore();
    }

    /// <summary>
    /// Data-parallel start: every rank continues from rank 0's weights, moments and training state — the
    /// checkpoint it resumed from, or its fresh initialisation — so the ranks start identical whatever
    /// their number, and only rank 0 needs the run folder.
    /// </summary>
    private void SynchronizeRanks(Checkpoint? resumedFrom)
    {
        _parallel!.Broadcast(_model.state_dict().Values);
        _parallel.Broadcast(_optimizer.StateDict().Select(m => m.Tensor));
        var state = JsonSerializer.Deserialize(
            _parallel.Share(IsRoot ? JsonSerializer.SerializeToUtf8Bytes(State(_options.Schedule.At(Math.Max(_step, 1))), CheckpointJson.Default.TrainingState) : null),
            CheckpointJson.Default.TrainingState)!;
        string last = Encoding.UTF8.GetString(_parallel.Share(IsRoot ? Encoding.UTF8.GetBytes(_lastCheckpoint ?? "") : null));
        if (IsRoot) return;
        Continue(state);
        _optimizer.StepCount = state.Optimizer.Step;
        _lastCheckpoint = last.Length == 0 ? null : last;
    }

    private TrainingDivergedException Diverged(double loss, double gradientNorm, double lr)
    {
        long step = _step + 1;
        string what = !double.IsFinite(loss)
            ? $"the loss is {Text(loss)}"
            : $"the gradient norm is {Text(gradientNorm)} (loss {Text(loss)})";
        string checkpoint = _lastCheckpoint is null
            ? "no checkpoint had been written yet"
            : $"the last good checkpoint, '{_lastCheckpoint}', is untouched: resume from it";
        string message = $"training stopped at update {step}: {what} at learning rate {Text(lr)}. The update was not applied; {checkpoint}. Try a lower learning rate, a longer warmup or gradient clipping (ClipNorm).";
        _metrics?.OnDiverged(step, loss, gradientNorm, message);
        return new TrainingDivergedException(message, step, loss, gradientNorm, _lastCheckpoint);
    }

    private static string Text(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    private void Notify(Action<ITrainingObserver> report)
    {
        if (!IsRoot) return;
        if (_metrics is not null) report(_metrics);
        if (_board is not null) report(_board);
        if (_observer is not null) report(_observer);
    }

    /// <summary>Releases the optimizer's moments and gradient buffers (the model, the data and the collectives belong to the caller).</summary>
    public void Dispose()
    {
        _optimizer.Dispose();
        _parallel?.Dispose();
    }
}
