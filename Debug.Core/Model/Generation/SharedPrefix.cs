namespace Debug.Core.Model.Generation;

/// <summary>The tokens every row of a batch starts with (a prompt template's text before its <c>{code}</c>, and more).</summary>
public static class SharedPrefix
{
    /// <summary>The length of the longest token prefix common to all <paramref name="rows"/> (0 for no rows).</summary>
    public static int Length(IReadOnlyList<IReadOnlyList<int>> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) return 0;
        int n = rows.Min(r => r.Count);
        var first = rows[0];
        for (int i = 0; i < n; i++)
            for (int r = 1; r < rows.Count; r++)
                if (rows[r][i] != first[i]) return i;
        return n;
    }
}
