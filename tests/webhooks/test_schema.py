"""Every kind's payload is in the OpenAPI schema, as a callback of the registration, with its `data`."""

from django.urls import include, path
from drf_spectacular.generators import SchemaGenerator

from webhooks.api.payloads import DATA


def test_each_kind_is_a_callback_of_the_registration_with_its_data() -> None:
    # given the API's schema
    patterns = [path("api/v1/", include("execgap.api.routes"))]
    schema = SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)

    # then registering an endpoint documents one callback per kind, posted to the registered URL
    create = schema["paths"]["/api/v1/orgs/{org}/webhooks/"]["post"]
    assert set(create["callbacks"]) == set(DATA) == {
        "alert.opened", "alert.resolved", "snapshot.computed", "feedback.raised", "feedback.answered",
        "plan.changed", "webhook.test",
    }  # fmt: skip
    components = schema["components"]["schemas"]
    for kind, (name, _, data) in DATA.items():
        operation = create["callbacks"][kind]["{$request.body#/url}"]["post"]
        body = operation["requestBody"]["content"]["application/json"]["schema"]
        assert body == {"$ref": f"#/components/schemas/Webhook{name}Event"}
        event = components[f"Webhook{name}Event"]
        # and each body is the documented envelope, its data the kind's documented keys
        assert set(event["properties"]) == {"id", "kind", "organization", "occurred_at", "data"}
        assert set(components[f"Webhook{name}Data"]["properties"]) == set(data)
    assert set(components["WebhookPlanChangedData"]["properties"]) == {
        "change_set", "changes", "more", "changed_by_user_id",
    }  # fmt: skip
