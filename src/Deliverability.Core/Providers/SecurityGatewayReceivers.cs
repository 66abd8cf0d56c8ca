using Deliverability.Core.Bounces;

namespace Deliverability.Core.Providers;

/// <summary>
/// Security gateways that filter mail in front of someone else's mailboxes (Mimecast, Proofpoint, Barracuda,
/// MessageLabs, Cisco, Trend Micro, Sophos, McAfee), tried after the mailbox providers.
/// </summary>
internal static class SecurityGatewayReceivers
{
    public static readonly Receiver[] All =
    [
        new("mimecast", "Mimecast", ReceiverKind.SecurityGateway, ["mimecast.com", "mimecast.co.za", "mimecast-offshore.com"], [], ["mimecast"],
            [new("email rejected due to security policies", BounceReasons.VirusDetected, 554), new("maximum email size exceeded", BounceReasons.MesgTooBig),
                new("mail loop detected", BounceReasons.NetworkError), new("open relay not allowed", BounceReasons.NoRelaying), new("account inbounds disabled", BounceReasons.NotAccept),
                new("account outbounds disabled", BounceReasons.OnHold), new("hostname is not authorized", BounceReasons.OnHold), new("past expiration", BounceReasons.OnHold),
                new("anti-spoofing policy", BounceReasons.PolicyViolation), new("content examination policy", BounceReasons.PolicyViolation), new("host network not allowed", BounceReasons.PolicyViolation),
                new("administrative prohibition envelope blocked", BounceReasons.Rejected), new("envelope blocked", BounceReasons.Rejected), new("blocked senders", BounceReasons.Rejected),
                new("block policy for envelope from", BounceReasons.Rejected), new("sender address blocked", BounceReasons.Blocked), new("ip temporarily blacklisted", BounceReasons.Blocked),
                new("local ct ip reputation", BounceReasons.Blocked), new("sender invalid - envelope rejected", BounceReasons.Blocked), new("recipient temporarily unavailable", BounceReasons.Blocked, 451),
                new("internal resources are temporarily unavailable", BounceReasons.Blocked, 451), new("incorrect authentication data", BounceReasons.SecurityError),
                new("route requires", BounceReasons.SecurityError), new("unable to process", BounceReasons.SystemError, 451), new("message ended early", BounceReasons.SystemError),
                new("account service is temporarily unavailable", BounceReasons.TooManyConn), new("too many recipients", BounceReasons.TooManyConn, 452),
                new("exceeding outbound thread limit", BounceReasons.TooManyConn), new("invalid recipient", BounceReasons.UserUnknown), new("user unknown", BounceReasons.UserUnknown),
                new("invalid address", BounceReasons.UserUnknown, 501)],
            "Mimecast SMTP error codes reference (community.mimecast.com)"),
        new("proofpoint", "Proofpoint", ReceiverKind.SecurityGateway, ["pphosted.com", "ppe-hosted.com", "proofpoint.com"], [], ["proofpoint.com", "pphosted"],
            [new("blocked - see https://support.proofpoint.com/dnsbl-lookup", BounceReasons.Blocked)], "Proofpoint Essentials/PPS replies (dnsbl-lookup link)"),
        new("barracuda", "Barracuda", ReceiverKind.SecurityGateway, ["barracudanetworks.com", "ess.barracuda.com", "cudamail.com"], [],
            // Not the word "barracuda" alone: b.barracudacentral.org is a DNS blocklist any MTA may query.
            ["ess.barracudanetworks.com"],
            [new("message content rejected", BounceReasons.SpamDetected)], "Barracuda Email Security Gateway replies"),
        new("messagelabs", "MessageLabs / Broadcom Email Security.cloud", ReceiverKind.SecurityGateway, ["messagelabs.com", "symanteccloud.com"], [], ["messagelabs", "symanteccloud"],
            [new("rejected by the recipient's policy", BounceReasons.PolicyViolation)], "Symantec Email Security.cloud error codes"),
        new("cisco", "Cisco Secure Email (IronPort)", ReceiverKind.SecurityGateway, ["iphmx.com", "ironport.com"], [], ["iphmx", "ironport"],
            [new("rejected by reputation", BounceReasons.Blocked), new("senderbase", BounceReasons.Blocked)], "Cisco Secure Email (IronPort) HAT/SBRS rejections"),
        new("trendmicro", "Trend Micro Email Security", ReceiverKind.SecurityGateway, ["tmes.trendmicro.com", "in.tmes.trendmicro", "trendmicro.com"], [], ["trendmicro", "interscan"],
            [new("blocked using trend micro", BounceReasons.Blocked), new("email reputation services", BounceReasons.Blocked)],
            "Trend Micro Email Security / InterScan notices; its Email Reputation Services (ERS) refusals name the service"),
        new("sophos", "Sophos Email", ReceiverKind.SecurityGateway, ["hydra.sophos.com", "sophos.com"], [], ["sophos"], [], "Sophos Email replies"),
        new("mcafee", "McAfee / MXLogic", ReceiverKind.SecurityGateway, ["mxlogic.net", "mcafee.com"], [], ["mxlogic"],
            [new("denied [bouncedeny]", BounceReasons.Rejected), new("fully qualified email address required", BounceReasons.Rejected)], "McAfee Email Protection / MXLogic replies"),
    ];
}
