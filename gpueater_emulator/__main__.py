from gpueater_emulator.server import main

raise SystemExit(main())
