def test_login_page_is_vietnamese(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "Đăng nhập" in response.content.decode()


def test_a_form_with_a_stale_security_token_is_refused_in_vietnamese(officer_a):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(officer_a)
    refused = client.post("/accounts/logout/", {"csrfmiddlewaretoken": "cu" * 32})
    text = refused.content.decode()
    assert refused.status_code == 403
    assert "Trang đã cũ" in text and "đăng nhập lại ở một thẻ khác" in text
    assert "<style" not in text and 'style="' not in text  # the CSP forbids inline styles
    assert '<header class="org-header">' in text  # the site's own frame
