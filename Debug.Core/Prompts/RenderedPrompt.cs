using Debug.Core.Tasks;

namespace Debug.Core.Prompts;

/// <summary>A prompt ready for a model, remembering where the program text sits inside it.</summary>
/// <param name="Text">The full prompt.</param>
/// <param name="CodeOffset">Character offset of the program's first character in <paramref name="Text"/>.</param>
public readonly record struct RenderedPrompt(string Text, int CodeOffset)
{
    /// <summary>Maps a span in program coordinates (e.g. from task metadata) to prompt coordinates.</summary>
    /// <param name="programSpan">A span into the program text.</param>
    public CharSpan ToPromptSpan(CharSpan programSpan) => programSpan.Shift(CodeOffset);
}
