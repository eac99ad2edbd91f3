"""The wrapper's own test may import it: allowed by the registry."""
import app.coordination.event_emitters as event_emitters


def test_reexports():
    assert event_emitters.emit_training_completed
