from __future__ import annotations

from closeloop.partnership.calibration.urls import urlpatterns as calibration
from closeloop.partnership.mentorship.urls import urlpatterns as mentorship
from closeloop.partnership.pulses.urls import urlpatterns as pulses
from closeloop.partnership.surveys.urls import urlpatterns as surveys

app_name = "partnership"
urlpatterns = [*calibration, *pulses, *surveys, *mentorship]
