namespace Debug.Core.Tokenization;

/// <summary>
/// An entry of tokenizer.json's <c>added_tokens</c>: a string matched in the raw text before normalization and
/// emitted as a single id (e.g. "&lt;|im_start|&gt;").
/// </summary>
/// <param name="Id">Its id.</param>
/// <param name="Content">The literal text.</param>
/// <param name="Special">Whether it is a special token (skipped when decoding with skipSpecialTokens).</param>
/// <param name="LStrip">Whether it swallows whitespace on its left.</param>
/// <param name="RStrip">Whether it swallows whitespace on its right.</param>
/// <param name="SingleWord">Whether it only matches as a whole word.</param>
public sealed record AddedToken(int Id, string Content, bool Special, bool LStrip = false, bool RStrip = false, bool SingleWord = false);
