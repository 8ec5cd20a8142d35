namespace Debug.Core.Tokenization;

/// <summary>
/// A tokenizer file that is malformed or describes something this project does not support (a Unigram or WordPiece
/// model, an unknown normalizer or pre-tokenizer). Names the file and the JSON path of the offending field so the
/// message alone tells a user what to look at.
/// </summary>
public sealed class TokenizerFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="filePath">The file being read.</param>
    /// <param name="jsonPath">JSON path of the field, e.g. <c>model.type</c> or <c>pre_tokenizer.pretokenizers[1].type</c>.</param>
    /// <param name="problem">What is wrong with it.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public TokenizerFormatException(string filePath, string jsonPath, string problem, Exception? inner = null)
        : base($"{filePath}: {jsonPath}: {problem}", inner)
    {
        FilePath = filePath;
        JsonPath = jsonPath;
        Problem = problem;
    }

    /// <summary>The file that was being read.</summary>
    public string FilePath { get; }

    /// <summary>JSON path of the offending field (empty when the file as a whole is unreadable).</summary>
    public string JsonPath { get; }

    /// <summary>What is wrong, without the file and path.</summary>
    public string Problem { get; }
}
