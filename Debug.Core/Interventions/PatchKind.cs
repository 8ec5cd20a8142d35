namespace Debug.Core.Interventions;

/// <summary>Which activation a patch replaces with the counterfactual run's value.</summary>
public enum PatchKind
{
    /// <summary>The residual stream entering block L (<c>hook_resid_pre</c>).</summary>
    ResidPre,

    /// <summary>The residual stream leaving block L (<c>hook_resid_post</c>).</summary>
    ResidPost,

    /// <summary>One head's slice of the attention output projection's input (<c>attn.hook_z</c>).</summary>
    AttnHead,

    /// <summary>The MLP sub-layer's output, before any post-norm and the residual add (<c>hook_mlp_out</c>).</summary>
    MlpOut,
}
