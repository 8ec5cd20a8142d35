using System.Text.Json.Nodes;
using Debug.Core.Model;
using Debug.Core.Model.Loading;
using Debug.Core.Reports;
using Debug.Core.Serialization;
using static TorchSharp.torch;

namespace Debug.Core.Training;

/// <summary>
/// The resumable state of a training run in its <c>work/</c> folder: the current weights (an ordinary checkpoint
/// folder that <see cref="CausalLanguageModel"/> loads), the optimizer's moments and the last finished step.
/// Each file is written atomically, the step file last, so an interruption at any point resumes from the previous
/// complete state.
/// </summary>
/// <param name="folder">The work folder.</param>
internal sealed class TrainingCheckpoint(string folder)
{
    private string StatePath => Path.Combine(folder, "trainer_state.json");

    /// <summary>The work folder.</summary>
    public string Folder => folder;

    /// <summary>The last saved step, or null when nothing has been saved (a fresh run).</summary>
    public long? SavedStep => File.Exists(StatePath)
        ? JsonNode.Parse(File.ReadAllText(StatePath))?["step"]?.GetValue<long>()
            ?? throw new InvalidDataException($"{StatePath}: no 'step'")
        : null;

    /// <summary>The options the saved run was started with, or null for a fresh run.</summary>
    public JsonNode? SavedOptions => File.Exists(StatePath) ? JsonNode.Parse(File.ReadAllText(StatePath))?["options"] : null;

    /// <summary>Saves the weights, the optimizer and then the step.</summary>
    public void Save(CausalLanguageModel model, AdamW adam, long step, JsonNode options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(adam);
        using var noGrad = no_grad();
        SafetensorsWriter.Write(Path.Combine(folder, "model.safetensors"), model.NamedWeights);
        adam.Save(Path.Combine(folder, "optimizer.safetensors"));
        var state = new JsonObject { ["step"] = step, ["options"] = options.DeepClone() };
        AtomicFile.WriteAllText(StatePath, DebugJson.Write(state));
    }

    /// <summary>Loads the optimizer's moments saved with <paramref name="step"/>.</summary>
    public void LoadOptimizer(AdamW adam, long step)
    {
        ArgumentNullException.ThrowIfNull(adam);
        adam.Load(Path.Combine(folder, "optimizer.safetensors"), step);
    }

    /// <summary>Copies the finished model's files (config, tokenizer, weights) from the work folder to <paramref name="output"/>.</summary>
    public void Publish(string output)
    {
        foreach (var name in new[] { "config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json", "model.safetensors" })
            File.Copy(Path.Combine(folder, name), Path.Combine(output, name), overwrite: true);
    }
}

/// <summary>Linear warmup, then a cosine decay to a floor: the schedule every Debug trainer uses.</summary>
public static class LearningRateSchedule
{
    /// <summary>The learning rate at <paramref name="step"/> (1-based) of <paramref name="totalSteps"/>.</summary>
    public static double Cosine(long step, double peak, int warmupSteps, long totalSteps, double minRatio)
    {
        if (step <= warmupSteps) return peak * step / Math.Max(1, warmupSteps);
        double progress = (double)(step - warmupSteps) / Math.Max(1, totalSteps - warmupSteps);
        double min = peak * minRatio;
        return min + (peak - min) * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(1, progress)));
    }
}
