namespace Debug.Experiments.Infrastructure;

/// <summary>
/// Trait values of the tracing experiments. They are their own <c>Task</c>, not <c>variable_binding</c>: a filter
/// that names an accuracy family (<c>--filter Task=variable_binding</c>) must select that family's accuracy rows only,
/// not the tracing rows, which on a real checkpoint take minutes each. A second trait names the theory, so one kind
/// of trace can be run alone (<c>--filter "Category=Tracing&amp;Tracing=residual"</c>).
/// </summary>
public static class TracingTraits
{
    /// <summary>The <c>Task</c> trait of every tracing row.</summary>
    public const string Task = "variable_binding_tracing";

    /// <summary>Name of the trait that tells the tracing theories apart.</summary>
    public const string Name = "Tracing";

    /// <summary>Full token x layer resid_pre sweeps.</summary>
    public const string Residual = "residual";

    /// <summary>Full token x layer hook_mlp_out sweeps.</summary>
    public const string Mlp = "mlp";

    /// <summary>hook_z of every head at the prediction.</summary>
    public const string Heads = "heads";

    /// <summary>Attention knockout.</summary>
    public const string Knockout = "knockout";

    /// <summary>The robust-seed table.</summary>
    public const string Seeds = "seeds";
}
