"""`scores_recompute`: the stale mark, the snapshot's immutability and atomicity, the selectors."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from execgap.models import Organization
from execgap.services import organization_mark_scores_stale
from scoring import services as scoring_services
from scoring import store
from scoring.models import InitiativeScore, ObjectiveScore, ScoreSnapshot, TeamScore
from scoring.selectors import snapshot_history, snapshot_latest
from scoring.services import scores_recompute
from tests.factories import InitiativeFactory, ObjectiveFactory, TaskFactory, TeamFactory

pytestmark = pytest.mark.django_db

D = date(2027, 1, 1)


def test_a_recompute_clears_a_mark_set_before_it_started(org):
    # given a change made before the run
    organization_mark_scores_stale(organization_id=org.pk)
    # when the scores are recomputed
    scores_recompute(organization_id=org.pk, as_of=D)
    # then they are current
    org.refresh_from_db()
    assert org.scores_stale_since is None


def test_a_recompute_clears_a_mark_with_no_change_time(org):
    # given a stale mark with no recorded change time
    Organization.objects.filter(pk=org.pk).update(scores_stale_since=timezone.now())
    scores_recompute(organization_id=org.pk, as_of=D)
    org.refresh_from_db()
    assert org.scores_stale_since is None


def test_a_change_that_lands_during_the_run_keeps_the_scores_stale(org, monkeypatch):
    # given a change that lands while the run calculates (after it started and read)
    real_store = store.snapshot_store

    def change_then_store(**kwargs):
        organization_mark_scores_stale(organization_id=org.pk)
        return real_store(**kwargs)

    monkeypatch.setattr("scoring.services.snapshot_store", change_then_store)
    # when the run stores its snapshot
    scores_recompute(organization_id=org.pk, as_of=D)
    # then the organization stays stale, so that a later run picks the change up
    org.refresh_from_db()
    assert org.scores_stale_since is not None


def test_a_change_the_read_did_not_see_keeps_the_scores_stale(org, monkeypatch):
    # given a change stamped before the run started but not visible to its read (committed later)
    before = timezone.now() - timedelta(seconds=5)
    real_fetch = scoring_services.parameters_fetch

    def read_then_change(**kwargs):
        result = real_fetch(**kwargs)
        Organization.objects.filter(pk=org.pk).update(scores_stale_since=before, scores_changed_at=before)
        return result

    monkeypatch.setattr("scoring.services.parameters_fetch", read_then_change)
    scores_recompute(organization_id=org.pk, as_of=D)
    org.refresh_from_db()
    assert org.scores_stale_since == before


@pytest.mark.parametrize("deleted", ["objective", "initiative", "team"])
def test_a_node_deleted_between_the_read_and_the_store_keeps_its_row_without_its_link(
    org, monkeypatch, deleted
):
    # given a team, an objective and an initiative under it, each read by a recompute and then deleted
    # (with what hangs on it) before the recompute stores its snapshot
    nodes = {"team": TeamFactory(organization=org, name="Platform")}
    nodes["objective"] = ObjectiveFactory(organization=org, title="Grow")
    nodes["initiative"] = InitiativeFactory(organization=org, objective=nodes["objective"], title="Launch")
    real_store = store.snapshot_store

    def delete_then_store(**kwargs):
        if deleted == "objective":
            nodes["initiative"].delete()
        nodes[deleted].delete()
        return real_store(**kwargs)

    monkeypatch.setattr("scoring.services.snapshot_store", delete_then_store)
    # when the run stores its snapshot
    snapshot = scores_recompute(organization_id=org.pk, as_of=D)
    # then the deleted node's row is stored, as it was read, with no link to a node that is gone
    model = {"objective": ObjectiveScore, "initiative": InitiativeScore, "team": TeamScore}[deleted]
    title = {"objective": "Grow", "initiative": "Launch", "team": "Platform"}[deleted]
    row = model.objects.get(snapshot=snapshot, **{"name" if deleted == "team" else "title": title})
    assert getattr(row, f"{deleted}_id") is None
    # and the nodes left keep theirs
    if deleted == "team":
        assert (
            ObjectiveScore.objects.get(snapshot=snapshot, title="Grow").objective_id == nodes["objective"].pk
        )


def test_a_node_deleted_after_the_store_loses_its_link_in_every_snapshot(org):
    # given two snapshots of an initiative
    initiative = InitiativeFactory(
        organization=org, objective=ObjectiveFactory(organization=org), title="Launch"
    )
    first = scores_recompute(organization_id=org.pk, as_of=D)
    second = scores_recompute(organization_id=org.pk, as_of=D)
    # when it is deleted
    initiative.delete()
    # then both snapshots keep its row, without the link
    for snapshot in (first, second):
        assert InitiativeScore.objects.get(snapshot=snapshot, title="Launch").initiative_id is None


def test_a_failed_store_leaves_the_previous_snapshot_the_latest(org, monkeypatch):
    # given a stored snapshot, and a plan with a team
    TeamFactory(organization=org)
    ObjectiveFactory(organization=org)
    first = scores_recompute(organization_id=org.pk, as_of=D)
    organization_mark_scores_stale(organization_id=org.pk)

    # when the next run fails while writing its team rows (after its objective rows)
    write = store.rows_write

    def fail_on_teams(model, columns, rows):
        if model is TeamScore:
            raise RuntimeError("disk full")
        write(model, columns, rows)

    monkeypatch.setattr(store, "rows_write", fail_on_teams)
    with pytest.raises(RuntimeError):
        scores_recompute(organization_id=org.pk, as_of=D)
    # then nothing of it is visible, and the scores stay stale
    assert snapshot_latest(organization=org) == first
    assert ScoreSnapshot.objects.for_org(org).count() == 1
    assert ObjectiveScore.objects.for_org(org).count() == 1
    org.refresh_from_db()
    assert org.scores_stale_since is not None


def test_a_snapshot_cannot_be_changed(org):
    snapshot = scores_recompute(organization_id=org.pk, as_of=D)
    snapshot.alignment = 100
    with pytest.raises(TypeError, match="immutable"):
        snapshot.save()


def test_deleting_a_snapshot_deletes_its_rows(org):
    # given two snapshots with rows of an objective and a team (the rows' snapshot is not a database
    # constraint: the deletion itself collects them)
    ObjectiveFactory(organization=org)
    TaskFactory(organization=org, team=TeamFactory(organization=org))
    kept, deleted = (scores_recompute(organization_id=org.pk, as_of=D) for _ in range(2))
    assert ObjectiveScore.objects.filter(snapshot=deleted).exists()
    assert TeamScore.objects.filter(snapshot=deleted).exists()
    # when one is deleted, then its rows go with it and the other's stay
    deleted.delete()
    assert not ObjectiveScore.objects.filter(snapshot_id=deleted.pk).exists()
    assert not TeamScore.objects.filter(snapshot_id=deleted.pk).exists()
    assert ObjectiveScore.objects.filter(snapshot=kept).exists()
    assert TeamScore.objects.filter(snapshot=kept).exists()


def test_an_empty_organization_gets_a_snapshot_of_undefined_scores(org):
    # given an organization with nothing in it, when recomputed
    snapshot = scores_recompute(organization_id=org.pk, as_of=D)
    # then every score is undefined (None), not 0
    assert [snapshot.alignment, snapshot.resources, snapshot.adaptability, snapshot.people] == [None] * 4
    assert snapshot.execution_health is None
    assert snapshot.parts["alignment"]["traceability"] is None


def test_d_defaults_to_todays_utc_date(org):
    snapshot = scores_recompute(organization_id=org.pk)
    assert snapshot.as_of == datetime.now(UTC).date()


def test_scores_are_scoped_to_their_organization(org, other_org):
    # given work in another organization only
    TaskFactory(organization=other_org, effort_hours=3)
    snapshot = scores_recompute(organization_id=org.pk, as_of=D)
    assert snapshot.parts["alignment"]["tasks_in_scope"] == 0
    assert snapshot_latest(organization=other_org) is None


def test_history_has_the_latest_snapshot_of_each_date(org):
    # given two runs for one date, one for the next, one for a date outside the range
    scores_recompute(organization_id=org.pk, as_of=D)
    second = scores_recompute(organization_id=org.pk, as_of=D)
    third = scores_recompute(organization_id=org.pk, as_of=D + timedelta(days=1))
    scores_recompute(organization_id=org.pk, as_of=D + timedelta(days=5))
    # when the history of [D, D + 2] is read
    history = list(snapshot_history(organization=org, date_from=D, date_to=D + timedelta(days=2)))
    # then
    assert history == [second, third]
    assert snapshot_latest(organization=org).as_of == D + timedelta(days=5)


@pytest.mark.django_db(transaction=True)
def test_a_recompute_outside_any_transaction_reads_one_consistent_snapshot(org):
    # given a plan (committed), when recomputed from outside any transaction (as a worker does)
    ObjectiveFactory(organization=org)
    TaskFactory(organization=org, effort_hours=2)
    snapshot = scores_recompute(organization_id=org.pk, as_of=D)
    # then the read ran in its own transaction (REPEATABLE READ on PostgreSQL) and the snapshot is stored
    assert snapshot_latest(organization=org) == snapshot
    assert snapshot.alignment == 0
