using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Debug.Core.Experiments;
using Debug.Core.Prompts;
using Debug.Core.Reports;
using Debug.Core.Tasks.Generators;
using FluentAssertions;
using Xunit;

namespace Debug.Core.Tests.Experiments;

/// <summary>
/// Each run records where its models came from: folder, HF snapshot, weight hashes (cached outside the checkpoint per
/// file size and modification time), dtype and the Debug build.
/// </summary>
public sealed class ProvenanceTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact(DisplayName = "Weight hashes: the file's SHA-256, computed once per size and mtime, the checkpoint left untouched")]
    public void HashesOncePerFileVersion()
    {
        string ckpt = _temp.Sub("ckpt");
        Directory.CreateDirectory(ckpt);
        string file = Path.Combine(ckpt, "model.safetensors");
        File.WriteAllBytes(file, [1, 2, 3, 4]);
        var cache = new WeightHashCache(_temp.Sub("cache"));

        cache.Sha256(file).Should().Be(Convert.ToHexStringLower(SHA256.HashData(new byte[] { 1, 2, 3, 4 })));
        cache.Sha256(file).Should().Be(cache.Sha256(file));
        new WeightHashCache(_temp.Sub("cache")).Sha256(file).Should().Be(cache.Sha256(file));
        cache.Computed.Should().Be(1, "the second and third lookups, and another instance's, come from the cache file");

        File.WriteAllBytes(file, [9, 9, 9, 9, 9]);
        cache.Sha256(file).Should().Be(Convert.ToHexStringLower(SHA256.HashData(new byte[] { 9, 9, 9, 9, 9 })));
        cache.Computed.Should().Be(2, "a new size is a new file version");

        Directory.GetFiles(ckpt).Should().Equal([file], "nothing is written into the checkpoint");
        cache.Path.Should().StartWith(_temp.Sub("cache"));
    }

    [Fact(DisplayName = "Weight hashes: a symlinked file (HF snapshot) is hashed and keyed by its blob; a corrupt cache is ignored")]
    public void FollowsSymlinksAndSurvivesCorruption()
    {
        string blob = _temp.Sub("blob");
        File.WriteAllBytes(blob, [5, 6, 7]);
        string link = _temp.Sub("model.safetensors");
        File.CreateSymbolicLink(link, blob);
        Directory.CreateDirectory(_temp.Sub("cache"));
        File.WriteAllText(Path.Combine(_temp.Sub("cache"), WeightHashCache.FileName), "{ not json");

        var cache = new WeightHashCache(_temp.Sub("cache"));
        cache.Sha256(link).Should().Be(Convert.ToHexStringLower(SHA256.HashData(new byte[] { 5, 6, 7 })));
        var entries = JsonNode.Parse(File.ReadAllText(cache.Path))!.AsObject();
        entries.Select(e => e.Key).Should().Equal(blob);
    }

    [Theory(DisplayName = "HF snapshot folders give their repository and commit hash; other folders none")]
    [InlineData("/home/u/.cache/huggingface/hub/models--Qwen--Qwen3-0.6B/snapshots/c1899de289a04d12100db370d81485cdf75e47ca", "Qwen/Qwen3-0.6B", "c1899de289a04d12100db370d81485cdf75e47ca")]
    [InlineData("/hub/models--org--name--with--dashes/snapshots/abc/", "org/name/with/dashes", "abc")]
    [InlineData("/data/ckpts/step-900", null, null)]
    [InlineData("/data/snapshots/abc", null, null)]
    public void HubSnapshots(string folder, string? repo, string? snapshot) =>
        ModelProvenance.HubSnapshotOf(folder).Should().Be((repo, snapshot));

    [Fact(DisplayName = "A run writes provenance.json: resolved folder, HF snapshot, weight hashes, dtype, parameters, Debug build")]
    public void RunWritesProvenance()
    {
        string snapshot = _temp.Sub("hub/models--Org--Random/snapshots/0123abcd");
        TestCheckpoints.Random(snapshot);
        using var runner = new ExperimentRunner(new RunnerOptions { ResultsRoot = _temp.Sub("results"), HashCacheFolder = _temp.Sub("cache") });
        var config = ExperimentConfig.Quick("variable_binding", PromptTemplates.VariableBinding, new VariableBindingGenerator(), 2,
            seqLens: [3], models: [snapshot], maxNewTokens: 2);
        var result = runner.Run(config);

        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(result.OutputFolder!, ModelProvenance.FileName)))!;
        var model = json["models"]!.AsArray().Should().ContainSingle().Subject!;
        model["model"]!.GetValue<string>().Should().Be("0123abcd");
        model["folder"]!.GetValue<string>().Should().Be(snapshot);
        model["hub_repository"]!.GetValue<string>().Should().Be("Org/Random");
        model["hub_snapshot"]!.GetValue<string>().Should().Be("0123abcd");
        model["dtype"]!.GetValue<string>().Should().Be("Float32");
        var loaded = runner.Models.Get(ModelReference.Parse(snapshot));
        model["parameters"]!.GetValue<long>().Should().Be(loaded.ParameterCount).And.BePositive();
        string weights = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(snapshot, "model.safetensors"))));
        model["weight_files"]!.AsArray().Should().ContainSingle().Which!["sha256"]!.GetValue<string>().Should().Be(weights);
        model["weights_sha256"]!.GetValue<string>().Should().MatchRegex("^[0-9a-f]{64}$").And.NotBe(weights, "it hashes names and hashes of every file");
        json["debug_version"]!.GetValue<string>().Should().NotBeNullOrWhiteSpace();
        var (_, commit) = ModelProvenance.DebugBuild();
        (commit is null || System.Text.RegularExpressions.Regex.IsMatch(commit, "^[0-9a-f]{40}$")).Should().BeTrue("a commit is a git hash: {0}", commit);
        ((string?)json["debug_commit"]).Should().Be(commit);
        loaded.LoadedLine.Should().MatchRegex(@"^model loaded in \d+\.\d s \([\d,]+ parameters, Float32\)$");
    }

    [Fact(DisplayName = "A run in which no case ran says so and why, instead of pointing at no folder")]
    public void NoCasesRanLine()
    {
        using var runner = new ExperimentRunner(new RunnerOptions { ResultsRoot = _temp.Sub("results"), ContinueOnModelError = true });
        var config = ExperimentConfig.Quick("range_tracking", PromptTemplates.RangeTracking, new RangeLoopGenerator(), 2,
            seqLens: [2], models: [_temp.Sub("absent")], maxNewTokens: 2);
        var result = runner.Run(config);
        result.OutputFolder.Should().BeNull();
        result.SummaryLine().Should().StartWith($"[range_tracking] no cases ran: absent: Model folder '{_temp.Sub("absent")}' does not exist")
            .And.NotContain("->");
    }
}
