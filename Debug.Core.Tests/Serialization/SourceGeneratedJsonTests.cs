using System.Reflection;
using System.Text.Json;
using Debug.Core.Experiments;
using Debug.Core.Serialization;
using Debug.Core.Tasks;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Serialization;

/// <summary>
/// Debug's JSON works with reflection-based System.Text.Json off (as in file-based, trimmed and AOT apps): this test
/// host runs with the switch off, and every type Debug writes by runtime type is in the generated context.
/// </summary>
public sealed class SourceGeneratedJsonTests
{
    [Fact(DisplayName = "The test host runs with reflection-based JSON off, so every JSON test here proves source generation")]
    public void ReflectionIsOff()
    {
        JsonSerializer.IsReflectionEnabledByDefault.Should().BeFalse(
            "Directory.Build.props sets JsonSerializerIsReflectionEnabledByDefault=false for every app and test host");
        var reflectionOnly = () => JsonSerializer.Serialize(new Uri("http://x"), new JsonSerializerOptions());
        reflectionOnly.Should().Throw<InvalidOperationException>("a serializer call without a generated context must fail here");
    }

    [Fact(DisplayName = "Every concrete task metadata record is listed in DebugJsonContext (results.json writes metadata by runtime type)")]
    public void EveryMetadataRecordIsListed()
    {
        var records = typeof(TaskMetadata).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(TaskMetadata)) && !t.IsAbstract).ToList();
        records.Should().HaveCountGreaterThan(5, "the generators' records are found by reflection over Debug.Core");
        records.Where(t => !DebugJson.Options.TryGetTypeInfo(t, out _)).Select(t => t.FullName)
            .Should().BeEmpty("each needs a [JsonSerializable(typeof(...))] line in DebugJsonContext");
    }

    [Fact(DisplayName = "Metadata serializes by its runtime type without reflection, keeping the generator's own fields")]
    public void MetadataByRuntimeType()
    {
        var task = new Debug.Core.Tasks.Generators.VariableBindingGenerator().Generate(seqLen: 5, new DeterministicRng(seed: 0));
        var json = CaseResult.MetadataToJson(task.Metadata);
        json!["query_variable"]!.GetValue<string>().Should().Be(task.Metadata!.QueryVariable);
        json.Should().ContainKey("links", "VariableBindingMetadata's own field, not only the base record's");
    }

    [Fact(DisplayName = "A type missing from DebugJsonContext fails with an error naming the type and the fix")]
    public void MissingTypeNamesTheFix()
    {
        var write = () => DebugJson.Serialize(new Uri("http://x"));
        write.Should().Throw<NotSupportedException>().WithMessage("*System.Uri*DebugJsonContext*JsonSerializable*");
    }

    [Fact(DisplayName = "Case records round-trip through results.json's settings")]
    public void CaseRecordsRoundTrip()
    {
        var cases = new List<CaseResult> { ReadableJsonTests.Case("x = 1\nx += 6\nprint(x)") };
        var back = DebugJson.Deserialize<List<CaseResult>>(DebugJson.Serialize(cases), "test");
        back.Should().ContainSingle().Which.Should().BeEquivalentTo(cases[0], o => o.Excluding(c => c.Metadata));
    }

    [Fact(DisplayName = "Reading a broken results file names the file")]
    public void BrokenFileNamed()
    {
        var read = () => DebugJson.Deserialize<List<CaseResult>>("[{\"experiment\": 3}]", "results/x/results.json");
        read.Should().Throw<InvalidDataException>().WithMessage("results/x/results.json*");
    }

    [Fact(DisplayName = "Debug.Core has no JsonSerializer call that bypasses the generated context (the AOT analyzer would fail its build)")]
    public void LibraryIsAotAnalyzed()
    {
        // IsAotCompatible turns reflection-based JsonSerializer overloads into build errors (IL2026/IL3050) in
        // Debug.Core; this pins that the setting stays on.
        var csproj = File.ReadAllText(Path.Combine(RepositoryRoot(), "Debug.Core", "Debug.Core.csproj"));
        csproj.Should().Contain("<IsAotCompatible>true</IsAotCompatible>");
        typeof(DebugJson).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Should().Contain(a => a.Key == "IsTrimmable" && a.Value == "True", "the SDK marks an AOT-compatible library trimmable");
    }

    private static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Debug.sln"))) return d.FullName;
        throw new DirectoryNotFoundException("Debug.sln not found above " + AppContext.BaseDirectory);
    }
}
