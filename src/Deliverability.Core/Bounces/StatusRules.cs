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
            "1.0" => BounceReasons.UserUnknown,
            "1.1" => BounceReasons.UserUnknown,
            "1.2" => BounceReasons.HostUnknown,
            "1.3" => BounceReasons.UserUnknown,
            "1.4" => BounceReasons.UserUnknown,
            "1.5" => BounceReasons.UserUnknown,
            "1.6" => BounceReasons.HasMoved,
            "1.7" => BounceReasons.Rejected,
            "1.8" => BounceReasons.Rejected,
            "1.9" => BounceReasons.Rejected,
            "1.10" => BounceReasons.NotAccept,
            // X.2.0: "the mailbox exists, but something about it caused this DSN" (RFC 3463): not a missing mailbox.
            "2.0" => BounceReasons.Filtered,
            "2.1" => BounceReasons.Suspend,
            "2.2" => BounceReasons.MailboxFull,
            "2.3" => BounceReasons.ExceedLimit,
            "2.4" => BounceReasons.SystemError,
            "3.0" => null,
            "3.1" => BounceReasons.SystemFull,
            "3.2" => BounceReasons.NotAccept,
            "3.3" => BounceReasons.SystemError,
            "3.4" => BounceReasons.MesgTooBig,
            "3.5" => BounceReasons.SystemError,
            "4.0" => BounceReasons.NetworkError,
            "4.1" => BounceReasons.NetworkError,
            "4.2" => BounceReasons.NetworkError,
            "4.3" => BounceReasons.SystemError,
            "4.4" => BounceReasons.NetworkError,
            "4.5" => BounceReasons.NetworkError,
            "4.6" => BounceReasons.NetworkError,
            "4.7" => BounceReasons.Expired,
            "5.0" => null,
            "5.1" => BounceReasons.SyntaxError,
            "5.2" => BounceReasons.SyntaxError,
            "5.3" => BounceReasons.TooManyConn,
            "5.4" => BounceReasons.SyntaxError,
            "5.5" => null,
            "5.6" => null,
            "6.0" => BounceReasons.ContentError,
            "6.1" => BounceReasons.ContentError,
            "6.2" => BounceReasons.ContentError,
            "6.3" => BounceReasons.ContentError,
            "6.4" => BounceReasons.ContentError,
            "6.5" => BounceReasons.ContentError,
            "7.0" => BounceReasons.SecurityError,
            "7.1" => BounceReasons.Blocked,
            "7.2" => BounceReasons.SecurityError,
            "7.3" => BounceReasons.SecurityError,
            "7.4" => BounceReasons.SecurityError,
            "7.5" => BounceReasons.SecurityError,
            "7.6" => BounceReasons.SecurityError,
            "7.7" => BounceReasons.SecurityError,
            "7.8" => BounceReasons.SecurityError,
            "7.9" => BounceReasons.SecurityError,
            "7.10" => BounceReasons.SecurityError,
            "7.11" => BounceReasons.FailedStartTls,
            "7.12" => BounceReasons.SecurityError,
            "7.13" => BounceReasons.Suspend,
            "7.14" => BounceReasons.SecurityError,
            "7.15" => BounceReasons.SecurityError,
            "7.16" => BounceReasons.SecurityError,
            "7.17" => BounceReasons.SecurityError,
            "7.18" => BounceReasons.SecurityError,
            "7.19" => BounceReasons.SecurityError,
            "7.20" => BounceReasons.AuthFailure,
            "7.21" => BounceReasons.AuthFailure,
            "7.22" => BounceReasons.AuthFailure,
            "7.23" => BounceReasons.AuthFailure,
            "7.24" => BounceReasons.AuthFailure,
            "7.25" => BounceReasons.RequirePtr,
            "7.26" => BounceReasons.AuthFailure,
            "7.27" => BounceReasons.NotAccept,
            "7.28" => BounceReasons.SpamDetected,
            "7.29" => BounceReasons.AuthFailure,
            "7.30" => BounceReasons.SecurityError,
            _ => null,
        };
    }
}
