using System.Net;
using System.Net.Mail;
using System.Net.Mime;
using System.Text;

namespace NetLab.Sniffer.Mail;

/// <summary>Sends the capture report by SMTP: the HTML report with a plain-text alternative (RFC 2046
/// multipart/alternative, plainest first) and, when a capture file was written, the pcap attached.</summary>
public static class ReportMailer
{
    public static async Task SendAsync(MailSettings settings, string subject, string textBody, string htmlBody,
        string? attachmentPath, CancellationToken ct)
    {
        using var message = new MailMessage
        {
            From = new MailAddress(settings.From),
            Subject = subject,
            SubjectEncoding = Encoding.UTF8,
        };
        foreach (string to in settings.To)
        {
            message.To.Add(new MailAddress(to));
        }
        message.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(textBody, Encoding.UTF8, MediaTypeNames.Text.Plain));
        message.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(htmlBody, Encoding.UTF8, MediaTypeNames.Text.Html));
        if (attachmentPath is not null)
        {
            var attachment = new Attachment(attachmentPath, "application/vnd.tcpdump.pcap");
            attachment.ContentDisposition!.FileName = Path.GetFileName(attachmentPath);
            message.Attachments.Add(attachment);
        }

        using var client = new SmtpClient(settings.Host, settings.Port)
        {
            // EnableSsl on a plain port issues STARTTLS (RFC 3207) before authenticating.
            EnableSsl = settings.StartTls,
            DeliveryMethod = SmtpDeliveryMethod.Network,
            Timeout = 30_000,
        };
        if (settings.User is not null)
        {
            client.Credentials = new NetworkCredential(settings.User, settings.Password ?? "");
        }
        await client.SendMailAsync(message, ct).ConfigureAwait(false);
    }

    /// <summary>A message for the user that says why sending failed, without the password.</summary>
    public static string Describe(Exception error) => error switch
    {
        SmtpException smtp when smtp.InnerException is { } inner => $"{smtp.Message} ({inner.Message})",
        _ => error.Message,
    };
}
