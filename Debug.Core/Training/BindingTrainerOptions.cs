namespace Debug.Core.Training;

/// <summary>Settings of <see cref="BindingTrainer"/>. Defaults are the recipe the shipped model was trained with.</summary>
public sealed record BindingTrainerOptions
{
    /// <summary>Seed of the initial weights and of every training batch.</summary>
    public long Seed { get; init; } = 1;
    /// <summary>Optimizer steps.</summary>
    public int Steps { get; init; } = 3000;
    /// <summary>Sequences per step.</summary>
    public int BatchSize { get; init; } = 32;
    /// <summary>Peak learning rate.</summary>
    public double LearningRate { get; init; } = 2e-3;
    /// <summary>Linear warmup steps.</summary>
    public int WarmupSteps { get; init; } = 200;
    /// <summary>The cosine schedule ends at this fraction of the peak rate.</summary>
    public double MinLearningRateRatio { get; init; } = 0.1;
    /// <summary>Decoupled weight decay on projection matrices.</summary>
    public double WeightDecay { get; init; } = 0.01;
    /// <summary>Global gradient-norm clip.</summary>
    public double GradientClip { get; init; } = 1.0;
    /// <summary>Weight of the attention-supervision loss (0 disables it).</summary>
    public double AttentionLossWeight { get; init; } = 1.0;
    /// <summary>Programs start at this many lines at most...</summary>
    public int CurriculumStartLines { get; init; } = 5;
    /// <summary>...and reach 17 lines at this fraction of the steps.</summary>
    public double CurriculumFullAt { get; init; } = 0.4;
    /// <summary>Queries answered per program.</summary>
    public int QueriesPerProgram { get; init; } = 8;
    /// <summary>Held-out evaluation every this many steps (and at the end).</summary>
    public int EvalEvery { get; init; } = 500;
    /// <summary>Held-out cases per hop during training; the final evaluation uses <see cref="FinalEvalCasesPerHop"/>.</summary>
    public int EvalCasesPerHop { get; init; } = 200;
    /// <summary>Held-out cases per hop for eval.json.</summary>
    public int FinalEvalCasesPerHop { get; init; } = 1000;
    /// <summary>Checkpoint the training state at most this often.</summary>
    public TimeSpan CheckpointEvery { get; init; } = TimeSpan.FromMinutes(3);
    /// <summary>libtorch intra-op threads (1 keeps runs bit-reproducible and avoids spinning on a shared machine).</summary>
    public int Threads { get; init; } = 1;
    /// <summary>Stop (after checkpointing) at this step without finishing, as an interruption would; null runs to the end.</summary>
    public int? StopAtStep { get; init; }
    /// <summary>Model shape.</summary>
    public EmbeddedModelSpec Model { get; init; } = new();
}
