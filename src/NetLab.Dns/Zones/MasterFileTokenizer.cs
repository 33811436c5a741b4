using System.Text;

namespace NetLab.Dns.Zones;

/// <summary>One token of a master file; quoted strings keep their escapes undone only when <see cref="Quoted"/>.</summary>
internal readonly record struct MasterToken(string Text, bool Quoted);

/// <summary>One logical entry: a line, or several joined by parentheses (RFC 1035 5.1).</summary>
internal sealed record MasterEntry(int Line, bool OwnerOmitted, IReadOnlyList<MasterToken> Tokens);

/// <summary>Splits RFC 1035 5.1 master-file text into entries: comments after ';', parentheses continuing an
/// entry over lines, quoted strings, backslash escapes, and a leading blank meaning "same owner as before".
/// Text is read as Latin-1 so every byte of the file reaches the records unchanged.</summary>
internal static class MasterFileTokenizer
{
    public static IEnumerable<MasterEntry> Read(string file, string text)
    {
        var tokens = new List<MasterToken>();
        var current = new StringBuilder();
        int lineNumber = 1;
        int entryLine = 1;
        int depth = 0;
        bool ownerOmitted = false;
        bool atLineStart = true;
        int i = 0;
        while (i <= text.Length)
        {
            char c = i < text.Length ? text[i] : '\n';
            if (atLineStart)
            {
                // Only the first line of an entry decides about its owner; lines inside parentheses continue it.
                if (depth == 0)
                {
                    entryLine = lineNumber;
                    ownerOmitted = c is ' ' or '\t';
                }
                atLineStart = false;
            }
            switch (c)
            {
                case '\n':
                    Flush(tokens, current);
                    if (depth == 0 && tokens.Count > 0)
                    {
                        yield return new MasterEntry(entryLine, ownerOmitted, tokens.ToArray());
                        tokens.Clear();
                    }
                    if (i == text.Length && depth > 0)
                    {
                        throw new ZoneFileException(file, entryLine, "unclosed '(' (the entry starting here never reaches its ')')");
                    }
                    lineNumber++;
                    atLineStart = true;
                    i++;
                    break;
                case ';':
                    while (i < text.Length && text[i] != '\n')
                    {
                        i++;
                    }
                    break;
                case '(':
                    Flush(tokens, current);
                    depth++;
                    i++;
                    break;
                case ')':
                    Flush(tokens, current);
                    if (--depth < 0)
                    {
                        throw new ZoneFileException(file, lineNumber, "')' without a matching '('");
                    }
                    i++;
                    break;
                case ' ' or '\t' or '\r':
                    Flush(tokens, current);
                    i++;
                    break;
                case '"':
                    Flush(tokens, current);
                    i++;
                    var quoted = new StringBuilder();
                    while (true)
                    {
                        if (i >= text.Length || text[i] == '\n')
                        {
                            throw new ZoneFileException(file, lineNumber, "unterminated quoted string (add the closing '\"')");
                        }
                        if (text[i] == '"')
                        {
                            i++;
                            break;
                        }
                        if (text[i] == '\\' && i + 1 < text.Length)
                        {
                            // Escapes stay in the text; the record parser decodes them like in names.
                            quoted.Append(text[i]).Append(text[i + 1]);
                            i += 2;
                            continue;
                        }
                        quoted.Append(text[i++]);
                    }
                    tokens.Add(new MasterToken(quoted.ToString(), true));
                    break;
                case '\\' when i + 1 < text.Length:
                    current.Append(c).Append(text[i + 1]);
                    i += 2;
                    break;
                default:
                    current.Append(c);
                    i++;
                    break;
            }
        }
    }

    private static void Flush(List<MasterToken> tokens, StringBuilder current)
    {
        if (current.Length > 0)
        {
            tokens.Add(new MasterToken(current.ToString(), false));
            current.Clear();
        }
    }
}
