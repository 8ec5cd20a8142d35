using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Debug.Core.Experiments;
using Debug.Core.Reports;
using Debug.Core.Tasks;
using Debug.Core.Tasks.Generators;
using Debug.Core.Training;

namespace Debug.Core.Serialization;

/// <summary>
/// The one System.Text.Json source-generated context of Debug: every type Debug serializes or deserializes is
/// listed here, so no JSON goes through reflection (file-based apps, trimmed and native AOT builds turn
/// reflection-based serialization off). Use it through <see cref="DebugJson"/>, never through
/// <c>JsonSerializer</c> calls that take only options.
/// </summary>
/// <remarks>
/// <para>To serialize a new type, add one <c>[JsonSerializable(typeof(T))]</c> line below and call
/// <see cref="DebugJson.Serialize{T}(T)"/>. The settings here (snake_case property names, indented, NaN and
/// infinities as strings) apply to every file; readable escaping is added by <see cref="DebugJson.Options"/>.</para>
/// <para>Values typed <c>object</c> (the tracing documents are <c>Dictionary&lt;string, object?&gt;</c>) are
/// written by their runtime type, which must be listed too; a test writes every document with reflection
/// disabled, so a missing entry fails there with the type's name.</para>
/// <para>A new <see cref="TaskMetadata"/> record must be listed as well: results.json writes metadata by its
/// runtime type, and a test checks that every concrete metadata record in this assembly is here.</para>
/// </remarks>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
// Experiment results (results.json, summary.json).
[JsonSerializable(typeof(List<CaseResult>))]
[JsonSerializable(typeof(IReadOnlyList<CaseResult>))]
[JsonSerializable(typeof(AccuracySummary))]
[JsonSerializable(typeof(IReadOnlyList<Debug.Core.Experiments.ModelRunInfo>))]
[JsonSerializable(typeof(List<Debug.Core.Experiments.ModelRunInfo>))]
[JsonSerializable(typeof(Debug.Core.Experiments.PythonImport.PythonImportReport))]
[JsonSerializable(typeof(List<GateRow>))]
[JsonSerializable(typeof(RunInfo))]
[JsonSerializable(typeof(Debug.Core.Experiments.Resume.GroupCheckpoints.SavedGroup))]
[JsonSerializable(typeof(decimal))]
// Task metadata, written by runtime type into results.json.
[JsonSerializable(typeof(VariableBindingMetadata))]
[JsonSerializable(typeof(VariableIncrementsMetadata))]
[JsonSerializable(typeof(CounterfactualPairMetadata))]
[JsonSerializable(typeof(LineIncrementsMetadata))]
[JsonSerializable(typeof(CounterMetadata))]
[JsonSerializable(typeof(ExceptionHandlingMetadata))]
[JsonSerializable(typeof(BooleanLogicMetadata))]
[JsonSerializable(typeof(FibonacciMetadata))]
[JsonSerializable(typeof(ArithmeticSequenceMetadata))]
[JsonSerializable(typeof(PlusMinusSequenceMetadata))]
[JsonSerializable(typeof(RangeLoopMetadata))]
[JsonSerializable(typeof(Debug.Core.Tasks.PythonCompat.Generators.PythonTaskMetadata))]
[JsonSerializable(typeof(Debug.Core.Tasks.PythonCompat.Generators.PythonVariableBindingMetadata))]
[JsonSerializable(typeof(Debug.Core.Tasks.PythonCompat.Generators.PythonSequenceMetadata))]
// Training state.
[JsonSerializable(typeof(BindingTrainerOptions))]
[JsonSerializable(typeof(FamilyTrainerOptions))]
// Free-form documents (tracing records and aggregates, tokenizer files, safetensors headers) and the runtime
// types of their object-typed values.
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(Dictionary<string, object?>))]
[JsonSerializable(typeof(List<Dictionary<string, object?>>))]
[JsonSerializable(typeof(Dictionary<string, object?>[]))]
[JsonSerializable(typeof(Dictionary<string, int>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, int>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(ulong))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(int[]))]
[JsonSerializable(typeof(long[]))]
[JsonSerializable(typeof(List<int>))]
[JsonSerializable(typeof(double?[][]))]
public sealed partial class DebugJsonContext : JsonSerializerContext;
