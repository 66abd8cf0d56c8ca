namespace Deliverability.Core.Bounces;

/// <summary>What an RFC 3463 enhanced status code alone says about the reason.</summary>
internal static class StatusRules
{
    /// <summary>Codes precise enough that they win over a vaguer phrase in the text.</summary>
    public static bool IsAuthoritative(string status) => status[2..] is "1.1" or "2.2" or "1.2" or "3.4" or "2.3" or "1.6" or "7.25" or "7.26" or "7.23" or "1.7" or "1.8";

    public static string? Match(string? status)
    {
        if (status is null || status.Length < 5)
        {
            return null;
        }

        return status[2..] switch
        {
            "1.0" => "userunknown",
            "1.1" => "userunknown",
            "1.2" => "hostunknown",
            "1.3" => "userunknown",
            "1.4" => "userunknown",
            "1.5" => "userunknown",
            "1.6" => "hasmoved",
            "1.7" => "rejected",
            "1.8" => "rejected",
            "1.9" => "rejected",
            "1.10" => "notaccept",
            // X.2.0: "the mailbox exists, but something about it caused this DSN" (RFC 3463): not a missing mailbox.
            "2.0" => "filtered",
            "2.1" => "suspend",
            "2.2" => "mailboxfull",
            "2.3" => "exceedlimit",
            "2.4" => "systemerror",
            "3.0" => null,
            "3.1" => "systemfull",
            "3.2" => "notaccept",
            "3.3" => "systemerror",
            "3.4" => "mesgtoobig",
            "3.5" => "systemerror",
            "4.0" => "networkerror",
            "4.1" => "networkerror",
            "4.2" => "networkerror",
            "4.3" => "systemerror",
            "4.4" => "networkerror",
            "4.5" => "networkerror",
            "4.6" => "networkerror",
            "4.7" => "expired",
            "5.0" => null,
            "5.1" => "syntaxerror",
            "5.2" => "syntaxerror",
            "5.3" => "toomanyconn",
            "5.4" => "syntaxerror",
            "5.5" => null,
            "5.6" => null,
            "6.0" => "contenterror",
            "6.1" => "contenterror",
            "6.2" => "contenterror",
            "6.3" => "contenterror",
            "6.4" => "contenterror",
            "6.5" => "contenterror",
            "7.0" => "securityerror",
            "7.1" => "blocked",
            "7.2" => "securityerror",
            "7.3" => "securityerror",
            "7.4" => "securityerror",
            "7.5" => "securityerror",
            "7.6" => "securityerror",
            "7.7" => "securityerror",
            "7.8" => "securityerror",
            "7.9" => "securityerror",
            "7.10" => "securityerror",
            "7.11" => "failedstarttls",
            "7.12" => "securityerror",
            "7.13" => "suspend",
            "7.14" => "securityerror",
            "7.15" => "securityerror",
            "7.16" => "securityerror",
            "7.17" => "securityerror",
            "7.18" => "securityerror",
            "7.19" => "securityerror",
            "7.20" => "authfailure",
            "7.21" => "authfailure",
            "7.22" => "authfailure",
            "7.23" => "authfailure",
            "7.24" => "authfailure",
            "7.25" => "requireptr",
            "7.26" => "authfailure",
            "7.27" => "notaccept",
            "7.28" => "spamdetected",
            "7.29" => "authfailure",
            "7.30" => "securityerror",
            _ => null,
        };
    }
}
