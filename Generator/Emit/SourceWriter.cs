using System;
using System.Text;

namespace Composer.Generator.Emit
{
    /// <summary>
    /// An indenting text writer for generated source: four spaces per level, "\n" line ends whatever the
    /// platform (output is byte-identical everywhere), and a check that every block was closed.
    /// </summary>
    internal sealed class SourceWriter
    {
        private readonly StringBuilder _text = new StringBuilder();
        private int _indent;

        public int Indent => _indent;

        /// <summary>Writes one line at the current indentation; an empty line carries no spaces.</summary>
        public SourceWriter Line(string line = "")
        {
            if (line.Length > 0)
            {
                _text.Append(' ', _indent * 4);
                _text.Append(line);
            }

            _text.Append('\n');
            return this;
        }

        /// <summary>Writes <c>{</c> and indents.</summary>
        public SourceWriter Open(string? header = null)
        {
            if (header is not null)
            {
                Line(header);
            }

            Line("{");
            _indent++;
            return this;
        }

        /// <summary>Outdents and writes <c>}</c> (with <paramref name="suffix"/>, e.g. <c>;</c>).</summary>
        public SourceWriter Close(string suffix = "")
        {
            if (_indent == 0)
            {
                throw new InvalidOperationException("Close without Open.");
            }

            // A blank line separates members, not a member from the closing brace.
            if (_text.Length >= 2 && _text[_text.Length - 1] == '\n' && _text[_text.Length - 2] == '\n')
            {
                _text.Length--;
            }

            _indent--;
            return Line("}" + suffix);
        }

        /// <summary>Writes an XML doc summary of one line.</summary>
        public SourceWriter Summary(string text) => Line("/// <summary>" + text + "</summary>");

        /// <summary>The text written; every block must be closed.</summary>
        public override string ToString()
        {
            if (_indent != 0)
            {
                throw new InvalidOperationException("Unclosed block: indentation is " + _indent.ToString(System.Globalization.CultureInfo.InvariantCulture) + " at the end.");
            }

            return _text.ToString();
        }
    }
}
