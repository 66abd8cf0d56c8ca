namespace Deliverability.Core.Bounces;

/// <summary>
/// qmail's own sentences around a failure (qmail-send.c's bounce preamble, qmail-remote.c's framing of a refused
/// RCPT TO): they say how qmail reports, not why the delivery failed, so they are left out before the reason is read.
/// </summary>
internal static class QmailFraming
{
    /// <summary>
    /// qmail-send opens every bounce with "This is a permanent error; I've given up. Sorry it didn't work out." (qmail-send.c):
    /// a final report, not a queue expiry, so its "given up" says nothing about the cause. Removes the sentence.
    /// </summary>
    public static void WithoutSendPreamble(ref string text)
    {
        const string Preamble = "this is a permanent error; i've given up.";
        var at = text.IndexOf(Preamble, StringComparison.Ordinal);
        if (at >= 0)
        {
            text = string.Concat(text.AsSpan(0, at), text.AsSpan(at + Preamble.Length));
        }
    }

    /// <summary>
    /// qmail-remote writes "&lt;host&gt; does not like recipient." for every refused RCPT TO, then "Remote host said:" and the
    /// reply, then "Giving up on &lt;host&gt;." (qmail-remote.c): its own sentences are framing, not a reason, when the remote's
    /// words follow. Removes them and says whether they were there.
    /// </summary>
    public static bool WithoutRecipientFraming(ref string text)
    {
        const string Framing = "does not like recipient.";
        var at = text.IndexOf(Framing, StringComparison.Ordinal);
        if (at < 0 || text.IndexOf("remote host said:", at, StringComparison.Ordinal) < 0)
        {
            return false;
        }

        text = text.Replace(Framing, string.Empty, StringComparison.Ordinal);
        // "Giving up on 192.0.2.80." closes the same report: qmail gave up on that host for this message, the queue did not expire.
        const string GivingUp = "giving up on ";
        for (var giving = text.IndexOf(GivingUp, StringComparison.Ordinal); giving >= 0; giving = text.IndexOf(GivingUp, giving, StringComparison.Ordinal))
        {
            var end = text.IndexOf(' ', giving + GivingUp.Length);
            text = string.Concat(text.AsSpan(0, giving), end < 0 ? default : text.AsSpan(end));
        }

        return true;
    }
}
