using System;
using System.Management.Automation;
using System.Management.Automation.Host;

namespace ProfileJobs.Shell
{
    /// <summary>
    /// A minimal raw UI. Its only real job is the width the formatter wraps tables at
    /// (<see cref="BufferSize"/>/<see cref="WindowSize"/>); the rest is stored or best effort.
    /// </summary>
    public sealed class ShellHostRawUserInterface : PSHostRawUserInterface
    {
        private readonly bool _interactive;
        private int _width;
        private int _height = 50;

        /// <summary>Creates a raw UI of the given width (0 or less = <see cref="ShellHostOptions.DefaultWidth"/>).</summary>
        public ShellHostRawUserInterface(int width, bool interactive)
        {
            _width = width > 0 ? width : ShellHostOptions.DefaultWidth();
            _interactive = interactive;
        }

        /// <summary>The width in columns (BufferSize.Width and WindowSize.Width).</summary>
        public int Width
        {
            get => _width;
            set => _width = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), "Width must be positive.");
        }

        /// <inheritdoc/>
        public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;

        /// <inheritdoc/>
        public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;

        /// <inheritdoc/>
        public override Size BufferSize
        {
            get => new Size(_width, _height);
            set => Resize(value);
        }

        /// <inheritdoc/>
        public override Coordinates CursorPosition { get; set; }

        /// <inheritdoc/>
        public override int CursorSize { get; set; } = 25;

        /// <inheritdoc/>
        public override bool KeyAvailable
        {
            get
            {
                if (!_interactive || Console.IsInputRedirected)
                {
                    return false;
                }

                try
                {
                    return Console.KeyAvailable;
                }
                catch (InvalidOperationException)
                {
                    return false;
                }
            }
        }

        /// <inheritdoc/>
        public override Size MaxPhysicalWindowSize => new Size(_width, _height);

        /// <inheritdoc/>
        public override Size MaxWindowSize => new Size(_width, _height);

        /// <inheritdoc/>
        public override Coordinates WindowPosition { get; set; }

        /// <inheritdoc/>
        public override Size WindowSize
        {
            get => new Size(_width, _height);
            set => Resize(value);
        }

        /// <inheritdoc/>
        public override string WindowTitle { get; set; } = "ProfileJobs.Shell";

        /// <inheritdoc/>
        public override void FlushInputBuffer()
        {
        }

        /// <inheritdoc/>
        public override BufferCell[,] GetBufferContents(Rectangle rectangle) =>
            throw new NotSupportedException("ProfileJobs.Shell does not keep a screen buffer.");

        /// <inheritdoc/>
        public override KeyInfo ReadKey(ReadKeyOptions options)
        {
            if (!_interactive || Console.IsInputRedirected)
            {
                throw ShellHostUserInterface.NotInteractive();
            }

            bool intercept = (options & ReadKeyOptions.NoEcho) != 0;
            ConsoleKeyInfo key = Console.ReadKey(intercept);
            ControlKeyStates state = 0;
            if ((key.Modifiers & ConsoleModifiers.Shift) != 0)
            {
                state |= ControlKeyStates.ShiftPressed;
            }

            if ((key.Modifiers & ConsoleModifiers.Alt) != 0)
            {
                state |= ControlKeyStates.LeftAltPressed;
            }

            if ((key.Modifiers & ConsoleModifiers.Control) != 0)
            {
                state |= ControlKeyStates.LeftCtrlPressed;
            }

            return new KeyInfo((int)key.Key, key.KeyChar, state, keyDown: true);
        }

        /// <inheritdoc/>
        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill)
        {
        }

        /// <inheritdoc/>
        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents)
        {
        }

        /// <inheritdoc/>
        public override void SetBufferContents(Rectangle rectangle, BufferCell fill)
        {
        }

        private void Resize(Size value)
        {
            if (value.Width > 0)
            {
                _width = value.Width;
            }

            if (value.Height > 0)
            {
                _height = value.Height;
            }
        }
    }
}
