from flake8_coordination.cli import main

raise SystemExit(main())
