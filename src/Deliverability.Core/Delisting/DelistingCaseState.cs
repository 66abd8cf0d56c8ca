namespace Deliverability.Core.Delisting;

public enum DelistingCaseState
{
    /// <summary>Being prepared: finding the error, fixing the causes, preparing the request.</summary>
    Open,

    /// <summary>The request is with the provider or list; waiting for its answers.</summary>
    Submitted,

    /// <summary>Finished with an outcome.</summary>
    Resolved,
}

public enum DelistingOutcome
{
    Unblocked,
    Denied,
    Withdrawn,
}
